"""The build: compendium.yml, the cache, kernels, the report runner, appendices and the command line."""
