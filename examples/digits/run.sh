#!/bin/sh
# The digits example: quantize the float LeNet and MLP, compile to C, report float / int8 interpreter / int8 C accuracy.
set -e
cd "$(dirname "$0")/../.."
exec node bin/qcc-dev.js examples/digits/run.ts "$@"
