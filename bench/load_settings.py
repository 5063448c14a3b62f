"""Settings of bench/load.py: the product's own, with one more address, a hello-world view
(bench/load_urls.py), that the product does not have. Never used outside the benchmark."""

from kbio.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
