#!/usr/bin/env bash
echo "p2pquic: 'bazel coverage' is not supported in this offline workspace" >&2
exit 1
