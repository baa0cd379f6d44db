# The README's two commands. Everything else they need, they set up themselves.
.PHONY: run test
run:
	@bash scripts/run.sh
test:
	@bash scripts/test.sh
