-- The last file received for each feed, and how many rows it brought.
WITH loaded AS (
    SELECT * FROM uploads WHERE status = 'loaded'
),
final AS (
    SELECT
        feed,
        max(received_at) AS last_received_at,
        max(period_end) AS latest_record_date,
        count(*) AS files,
        sum(rows_accepted) AS rows_accepted,
        sum(rows_rejected) AS rows_rejected
    FROM loaded
    GROUP BY feed
)
SELECT * FROM final ORDER BY feed
