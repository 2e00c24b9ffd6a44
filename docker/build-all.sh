#!/usr/bin/env bash
# Builds the container image of every alfer service listed in docker/services.txt, in each of its
# variants (jvm: Dockerfile.jvm; cuda: Dockerfile.cuda), with the versions pinned in
# docker/versions.env. Run `mvn -B package -DskipTests` at the repository root first: the images
# hold services/<name>/target/quarkus-app. Needs Docker 23 or later (BuildKit) and, for the cuda
# variants, Maven (it fetches the onnxruntime_gpu jar through your Maven settings).
#
#   docker/build-all.sh                   # every service that exists, tag 0.1.0-SNAPSHOT
#   ALFER_IMAGE_PREFIX=registry.example.com/alfer/ ALFER_IMAGE_TAG=0.1.0 docker/build-all.sh ingest
#   docker/build-all.sh --dry-run         # print what would be built, build nothing
#
# Images: ${ALFER_IMAGE_PREFIX}alfer-<name>:<tag> (jvm) and ...:<tag>-cuda (cuda).
# A listed service whose module does not exist yet is skipped with a note; one named on the
# command line must exist. --dry-run prints one line per image,
#   image <name> <variant> <image> <http port> <Dockerfile>
# which deploy/checks compares with the Deployments.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
prefix="${ALFER_IMAGE_PREFIX:-alfer/}"
tag="${ALFER_IMAGE_TAG:-0.1.0-SNAPSHOT}"
docker_cmd="${DOCKER:-docker}"
mvn_cmd="${MVN:-mvn}"

dry_run=false
wanted=()
for arg in "$@"; do
  case "${arg}" in
    --dry-run) dry_run=true ;;
    -*) echo "error: unknown option ${arg}" >&2; exit 1 ;;
    *) wanted+=("${arg}") ;;
  esac
done

build_args=()
onnxruntime_gpu_version=""
while IFS= read -r line; do
  [[ -z "${line}" || "${line}" == \#* ]] && continue
  build_args+=(--build-arg "${line}")
  if [[ "${line}" == ONNXRUNTIME_GPU_VERSION=* ]]; then
    onnxruntime_gpu_version="${line#ONNXRUNTIME_GPU_VERSION=}"
  fi
done < "${here}/versions.env"

# The HTTP port a service listens on, from quarkus.http.port=${ALFER_X_PORT:NNNN} or =NNNN.
http_port() {
  local props="$1/src/main/resources/application.properties" port=""
  if [[ -f "${props}" ]]; then
    port="$(sed -n -E 's/^quarkus\.http\.port=(\$\{[A-Z0-9_]+:)?([0-9]+)\}?$/\2/p' "${props}" | head -n 1)"
  fi
  echo "${port:-8080}"
}

# The onnxruntime_gpu jar of the pinned version, fetched once with Maven into target/docker (the
# build context "onnxruntime-gpu" of Dockerfile.cuda). Maven resolves it as it resolves the build's
# dependencies: from your repository or mirror, no address is written here.
onnxruntime_gpu_dir=""
onnxruntime_gpu() {
  if [[ -n "${onnxruntime_gpu_dir}" ]]; then
    return
  fi
  onnxruntime_gpu_dir="${root}/target/docker/onnxruntime-gpu"
  local jar="${onnxruntime_gpu_dir}/onnxruntime_gpu-${onnxruntime_gpu_version}.jar"
  if [[ ! -f "${jar}" ]]; then
    echo "fetching com.microsoft.onnxruntime:onnxruntime_gpu:${onnxruntime_gpu_version}"
    "${mvn_cmd}" -B -q -N -f "${root}/pom.xml" dependency:copy \
      "-Dartifact=com.microsoft.onnxruntime:onnxruntime_gpu:${onnxruntime_gpu_version}" \
      "-DoutputDirectory=${onnxruntime_gpu_dir}"
  fi
  test -f "${jar}" || { echo "error: ${jar} was not fetched" >&2; exit 1; }
}

built=0
while read -r name variants; do
  [[ -z "${name}" || "${name}" == \#* ]] && continue
  if (( ${#wanted[@]} > 0 )) && [[ ! " ${wanted[*]} " == *" ${name} "* ]]; then
    continue
  fi
  module="${root}/services/${name}"
  if [[ ! -d "${module}" ]]; then
    if (( ${#wanted[@]} > 0 )); then
      echo "error: services/${name} does not exist" >&2
      exit 1
    fi
    echo "skip ${name}: services/${name} does not exist yet"
    continue
  fi
  if [[ "${dry_run}" == false && ! -f "${module}/target/quarkus-app/quarkus-run.jar" ]]; then
    echo "error: ${module}/target/quarkus-app is missing; run 'mvn -B package -DskipTests' first" >&2
    exit 1
  fi
  port="$(http_port "${module}")"
  for variant in ${variants}; do
    extra=()
    case "${variant}" in
      jvm) image="${prefix}alfer-${name}:${tag}" ;;
      cuda) image="${prefix}alfer-${name}:${tag}-cuda" ;;
      *) echo "error: unknown variant '${variant}' for ${name} in services.txt" >&2; exit 1 ;;
    esac
    if [[ "${dry_run}" == true ]]; then
      echo "image ${name} ${variant} ${image} ${port} Dockerfile.${variant}"
      continue
    fi
    if [[ "${variant}" == cuda ]]; then
      onnxruntime_gpu
      extra=(--build-context "onnxruntime-gpu=${onnxruntime_gpu_dir}")
    fi
    echo "building ${image} (port ${port})"
    "${docker_cmd}" build -f "${here}/Dockerfile.${variant}" "${build_args[@]}" "${extra[@]}" \
      --build-arg "HTTP_PORT=${port}" -t "${image}" "${module}"
    built=$((built + 1))
  done
done < "${here}/services.txt"
if [[ "${dry_run}" == false ]]; then
  echo "built ${built} image(s)"
fi
