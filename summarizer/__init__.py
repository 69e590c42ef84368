"""summarizer: read, clean, check and draft Chinese work reports (工作总结 / 工作计划 / 实施方案).

The pipeline: read (`summarizer.io`) → clean (`summarizer.clean`) → analyse → compose | check.
"""

__version__ = "0.1.0"
