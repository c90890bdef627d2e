# The two commands of the quick start: `make demo` and `make test`.
# Each sets itself up on a fresh machine: virtual environment, install, Debian tools.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck debian-packages clean mutation

demo: $(STAMP)
	$(BIN)/bluealert demo --serve

# The rule tests run again in a zone far from UTC (+12:45/+13:45), so that code reading the
# machine's zone where it should not cannot pass because the machine happens to run in UTC.
RULE_TESTS := tests/unit/domain tests/unit/plans tests/unit/formats/test_same.py \
	tests/unit/formats/test_same_header_rules.py tests/unit/formats/test_cap.py \
	tests/unit/formats/test_cap_rules.py tests/integration/store/test_audit_chain.py
FAR_ZONE := Pacific/Chatham

test: $(STAMP) debian-packages lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider --hypothesis-profile=repeatable
	TZ=$(FAR_ZONE) $(BIN)/pytest -q -p no:cacheprovider --hypothesis-profile=repeatable $(RULE_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

# The rule modules and their own tests (of these, scripts/mutation runs per mutant only the
# tests that call the function it changed). Slow and CPU-heavy, so not part of `make test`.
MUTATION_TARGETS := \
	src/bluealert/domain/lifecycle.py=tests/unit/domain,tests/unit/plans \
	src/bluealert/domain/criteria.py=tests/unit/plans,tests/unit/domain \
	src/bluealert/store/audit.py=tests/integration/store/test_audit_chain.py,tests/integration/store/test_audit_record.py,tests/unit/store/test_audit_hash_format.py \
	src/bluealert/formats/same/header.py=tests/unit/formats/test_same.py,tests/unit/formats/test_same_header_rules.py \
	src/bluealert/formats/cap/validate.py=tests/unit/formats/test_cap.py,tests/unit/formats/test_cap_rules.py \
	src/bluealert/formats/cap/cap_rules.py=tests/unit/formats/test_cap.py,tests/unit/formats/test_cap_rules.py \
	src/bluealert/formats/cap/profile_rules.py=tests/unit/formats/test_cap.py,tests/unit/formats/test_cap_rules.py \
	src/bluealert/geo/areas.py=tests/unit/geo \
	src/bluealert/domain/activation.py=tests/unit/domain/test_activation.py,tests/unit/domain/test_linked.py \
	src/bluealert/domain/linked.py=tests/unit/domain/test_linked.py \
	src/bluealert/domain/expiry.py=tests/unit/domain/test_expiry.py \
	src/bluealert/store/audit_anchors.py=tests/unit/store,tests/integration/store/test_audit_anchors.py \
	src/bluealert/store/audit_checkpoint.py=tests/integration/store/test_audit_anchors.py

# Each module in turn, at the lowest priority; fails if any scores under 0.90.
mutation: $(STAMP)
	@status=0; for target in $(MUTATION_TARGETS); do \
	  module=$${target%%=*}; tests=$$(echo "$${target#*=}" | tr , ' '); \
	  echo "== $$module"; \
	  TZ=$(FAR_ZONE) nice -n 19 scripts/mutation "$$module" $$tests --fail-under 0.90 || status=1; \
	done; exit $$status

debian-packages:
	scripts/ensure-debian-packages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
