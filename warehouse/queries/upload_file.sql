-- Where the original bytes of one upload are kept.
SELECT stored_path, file_name, sha256 FROM uploads WHERE upload_id = $upload
