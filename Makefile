# Two commands for a fresh machine (only python3 and make needed):
#   make demo   set up, build the demo ward, open the dashboard   (make demo PORT=8600 HOST=0.0.0.0)
#   make test   set up, install the browser, run the whole test suite
# Each step prints one Vietnamese line ("1/3 …") and then its own progress: nothing runs silently.
VENV ?= .venv
BIN = $(VENV)/bin
PYTHON ?= python3
UV_VERSION = 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8501
# `make bench SESSIONS_ARGS=--quick`: the many-sessions benchmark with 1 and 3 sessions only.
SESSIONS_ARGS ?=
# Test files run on this many processes side by side (pytest-xdist; a file's tests stay together).
# Three on two cores: the browser and server tests wait much of their time (1.140 s against 1.310 s with two, 03/12/2026).
TEST_WORKERS ?= 3
export DOTHIXANH_HOME ?= $(CURDIR)/data
# Stamp of a finished demo build, inside the ward's home (a real ward never gets one, see demo-ward).
DEMO_BUILT = $(DOTHIXANH_HOME)/.demo-built
# What the demo ward is made of: when one of these changes, `make demo` builds it again.
DEMO_SOURCES = $(wildcard pipelines/demo/*.py pipelines/demo_wards.py kernel/*.py kernel/feeds/*.toml warehouse/migrations/*.sql warehouse/marts/*.sql warehouse/indicator_declarations/*.toml)

.PHONY: setup browsers java demo demo-ward serve test lint bench bench-city fuzz clean city-demo city-serve

# The lock is installed with uv (a pinned uv bootstrapped into the venv from PyPI: seconds where pip
# takes minutes); with plain pip if uv cannot be had or fails. Both print what they fetch and install.
$(BIN)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
		|| ($(PYTHON) -m pip install --user virtualenv && $(PYTHON) -m virtualenv $(VENV))
	@if $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on "uv==$(UV_VERSION)" \
		&& $(BIN)/uv pip install --python $(BIN)/python -r requirements.lock \
		&& $(BIN)/uv pip install --python $(BIN)/python --no-deps -e .; then :; \
	else \
		echo "   Không dùng được uv: cài bằng pip (chậm hơn, vài phút)…"; \
		$(BIN)/python -m pip install --progress-bar on --upgrade pip \
		&& $(BIN)/python -m pip install --progress-bar on -r requirements.lock \
		&& $(BIN)/python -m pip install --no-deps -e . || exit 1; \
	fi
	@$(COMPILE_LIBRARIES)
	@touch $@

# The libraries' bytecode, compiled once at install: where PYTHONDONTWRITEBYTECODE is set (as on
# this kind of machine) Python otherwise compiles Streamlit, Polars and Great Expectations from source
# in every process it starts: the dashboard, each sandbox worker, every command (seconds each).
COMPILE_LIBRARIES = echo "   Biên dịch sẵn mã của thư viện (các lệnh khởi động nhanh hơn)…"; \
	$(BIN)/python -m compileall -q -j 0 "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" >/dev/null || true
# The project's own modules, compiled before the tests (a changed file is compiled again by Python).
COMPILE_PROJECT = $(BIN)/python -m compileall -q -j 0 kernel pipelines warehouse dashboard services expectations benchmarks tests >/dev/null || true

setup: $(BIN)/.installed

# Spark for the city's two-engine test (a big download the ward's dashboard does not need).
$(BIN)/.installed-city: requirements-city.lock | $(BIN)/.installed
	@echo "   Cài Apache Spark (pyspark, khoảng 500 MB) cho kiểm thử kho chung của thành phố…"
	@$(BIN)/uv pip install --python $(BIN)/python -r requirements-city.lock \
		|| $(BIN)/python -m pip install --progress-bar on -r requirements-city.lock || exit 1
	@$(COMPILE_LIBRARIES)
	@touch $@

# Build the demo ward unless the one in DOTHIXANH_HOME is finished and made by the current sources
# (an interrupted build has no stamp: it is built again). A home holding a real ward is never touched.
demo-ward: $(DEMO_BUILT)

$(DEMO_BUILT): $(DEMO_SOURCES) | $(BIN)/.installed
	@if [ -e "$(DOTHIXANH_HOME)/warehouse.duckdb" ] && [ ! -e "$(DOTHIXANH_HOME)/demo-ward.txt" ]; then \
		echo "   $(DOTHIXANH_HOME) đã có kho dữ liệu của một phường (không phải phường mẫu): giữ nguyên, không tạo phường mẫu."; \
	else \
		$(BIN)/dothixanh demo --force && touch "$@"; \
	fi

# Each step says when it has nothing to do (make -q: up to date?) instead of staying silent.
SETUP_STEP = $(MAKE) -q $(BIN)/.installed 2>/dev/null && echo "   Thư viện đã cài đủ trong $(VENV)." \
	|| $(MAKE) --no-print-directory $(BIN)/.installed

demo:
	@echo "1/3 Cài đặt thư viện…"
	@$(SETUP_STEP)
	@$(COMPILE_PROJECT)
	@echo "2/3 Tạo phường mẫu…"
	@$(MAKE) -q $(DEMO_BUILT) 2>/dev/null \
		&& echo "   Phường mẫu đã có trong $(DOTHIXANH_HOME): không tạo lại (xóa $(DEMO_BUILT) để tạo lại)." \
		|| $(MAKE) --no-print-directory $(DEMO_BUILT)
	@echo "3/3 Khởi động bảng điều khiển tại http://$(HOST):$(PORT) … (đăng nhập: leader / demo; Ctrl+C để dừng)"
	@exec $(BIN)/dothixanh serve --host "$(HOST)" --port "$(PORT)"

serve: setup
	@exec $(BIN)/dothixanh serve --host "$(HOST)" --port "$(PORT)"

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright. Never `playwright
# install`: it downloads a browser of its own, which fails here. Installing takes root (as on CI).
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
	else \
		echo "make browsers: /usr/bin/chromium is missing; as root: apt-get install chromium chromium-driver (browser tests are skipped, or fail when CI=true)"; \
	fi

# Apache Spark (pyspark, from requirements-city.lock) runs on Java 17: Debian's openjdk-17-jre-headless.
# The city marts' two-engine test (tests/warehouse/test_city.py) needs it; installing takes root.
java:
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; \
	else \
		echo "make java: Java is missing; as root: apt-get install openjdk-17-jre-headless (the Spark test is skipped, or fails when CI=true)"; \
	fi

test:
	@echo "1/3 Cài đặt thư viện (kèm công cụ kiểm thử)…"
	@$(SETUP_STEP)
	@echo "2/3 Kiểm tra trình duyệt Chromium cho kiểm thử giao diện và Java cho Apache Spark…"
	@$(MAKE) --no-print-directory browsers
	@$(MAKE) --no-print-directory java $(BIN)/.installed-city
	@echo "3/3 Chạy toàn bộ kiểm thử…"
	@$(COMPILE_PROJECT)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# Three demo wards (Lê Chân, Hồng Bàng, Ngô Quyền; their own groups and seeds) published into one city
# store, and the city's marts refreshed with DuckDB. A ward already built is kept (delete its folder).
CITY_DIR ?= $(CURDIR)/data-city
CITY_WARDS = 11383:2026 11311:7 11341:13
CITY_PORT ?= 8502
CITY_USER = thanhpho
CITY_PASSWORD = thanhpho-demo

city-demo: setup
	@echo "1/3 Tạo ba phường mẫu trong $(CITY_DIR)…"
	@for ward in $(CITY_WARDS); do code=$${ward%%:*}; seed=$${ward##*:}; \
		DOTHIXANH_HOME="$(CITY_DIR)/$$code" $(BIN)/dothixanh demo --ward $$code --seed $$seed || exit 1; done
	@echo "2/3 Các phường gửi số liệu lên kho chung $(CITY_DIR)/store…"
	@for ward in $(CITY_WARDS); do code=$${ward%%:*}; \
		DOTHIXANH_HOME="$(CITY_DIR)/$$code" $(BIN)/dothixanh city publish --store "$(CITY_DIR)/store" || exit 1; done
	@echo "3/3 Tính chỉ tiêu và xếp hạng các phường (DuckDB)…"
	@$(BIN)/dothixanh city refresh --store "$(CITY_DIR)/store" --engine duckdb --output "$(CITY_DIR)/marts"
	@$(BIN)/dothixanh city account list --city "$(CITY_DIR)/marts" | grep -q '^$(CITY_USER) ' \
		|| echo "$(CITY_PASSWORD)" | $(BIN)/dothixanh city account add $(CITY_USER) --city "$(CITY_DIR)/marts" \
			--name "Cán bộ thống kê thành phố (mẫu)" --password-stdin
	@echo "Trang của thành phố: http://127.0.0.1:$(CITY_PORT), đăng nhập $(CITY_USER) / $(CITY_PASSWORD) \
(lần sau chỉ cần make city-serve; Ctrl+C để dừng)"
	@$(MAKE) --no-print-directory city-serve

# The city's view on the city-demo (accounts of the city only: the wards' accounts do not open it).
city-serve: setup
	$(BIN)/dothixanh city serve --city "$(CITY_DIR)/marts" --store "$(CITY_DIR)/store" --port $(CITY_PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/ingest_1m.py
	$(BIN)/python benchmarks/ingest_sandbox.py
	$(BIN)/python benchmarks/publish.py
	$(BIN)/python benchmarks/sessions.py $(SESSIONS_ARGS)
	$(BIN)/python benchmarks/sessions.py --capacity

# The city at scale (issue 13): one synthetic five-year ward copied under Hải Phòng's 114 codes,
# `city refresh` timed on DuckDB and Spark local. Not part of `make bench`: building the five-year
# ward takes tens of minutes here (kept in BENCH_CITY_WORK and reused), Spark several more.
# `make bench-city BENCH_CITY_ARGS="--years 1 --wards 6"` for a short run.
BENCH_CITY_WORK ?= $(CURDIR)/data-bench-city
BENCH_CITY_ARGS ?= --years 5 --scale 1 --wards 114 --engines duckdb,spark
bench-city: setup java $(BIN)/.installed-city
	$(BIN)/python benchmarks/city.py --work "$(BENCH_CITY_WORK)" $(BENCH_CITY_ARGS)

# The full property-based run (issue 11): DOTHIXANH_FUZZ_EXAMPLES files (10.000 by default), failing
# examples and figures in test-artifacts/fuzz/. The light run is part of `make test`.
fuzz: setup
	$(BIN)/python -m pytest -q -m fuzz tests/pipelines/test_fuzz.py

clean:
	rm -rf $(VENV) data data-city data-bench-city test-artifacts
