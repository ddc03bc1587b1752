#!/usr/bin/env bash
# Runs shortrun's whole test suite on a fresh machine: installs what the tests need, then `mvn test`.
#   - Debian python3-torch + python3-numpy: the PyTorch reference the conformance tests compare against
#   - Debian python3-scipy: scipy sqrtm and gaussian_kde, the references of the FID and KDE tests
#   - Debian dataset-fashion-mnist: real Fashion-MNIST files for the reader tests
#   - curl and iproute2 (ss): infra/flink's health and port checks, used by the Flink cluster test
#   - cron: the scheduled-sweep test installs a real crontab entry (infra/schedule/install.sh starts the daemon)
# The MLflow tests build their own venv (.venv-mlflow, pinned mlflow from PyPI) on first use.
# Real MNIST and the CIFAR-10 sample come from ../shared/data beside the checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need=()
/usr/bin/python3 -c "import torch, numpy" >/dev/null 2>&1 || need+=(python3-torch python3-numpy)
/usr/bin/python3 -c "import scipy.stats" >/dev/null 2>&1 || need+=(python3-scipy)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
command -v curl >/dev/null || need+=(curl)
command -v ss >/dev/null || need+=(iproute2)
{ command -v crontab >/dev/null && [ -x /usr/sbin/cron ]; } || need+=(cron)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "infra/test.sh: installing ${need[*]} (Debian) ..." >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d "$ROOT/../shared/data" ]; then
  echo "infra/test.sh: ../shared/data not found beside the checkout ($ROOT/../shared); tests need real MNIST/CIFAR" >&2
  exit 2
fi

cd "$ROOT"
exec mvn -B test "$@"
