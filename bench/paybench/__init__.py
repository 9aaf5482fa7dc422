"""paybench: paystack-rs side by side with the pure-Python Paystack SDKs, against one local nginx.

Modules, one job each:
    fixtures   Paystack-shaped response bodies built from the official samples, and the answers to expect
    server     nginx serving those bodies (the benchmark target) and a recording server (the wire check)
    adapters   one adapter per library, all with the same interface (adapters/base.py)
    workloads  what each workload calls, with which arguments, and what a success looks like
    runner     the timing loops: sequential, threads, asyncio
    worker     the subprocess entry: one library x one workload, or an import-time / memory probe
    wrk        the HTTP limit, measured with wrk against the same nginx
    report     the tables (markdown, JSON), the ratios and the targets
    chart      the PNG chart
    __main__   the orchestration: `python -m paybench [--short]`
"""
