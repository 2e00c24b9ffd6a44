#!/usr/bin/env bash
# Builds the container image of every alfer service listed in docker/services.txt, in each of its
# variants (jvm: Dockerfile.jvm; cuda: Dockerfile.cuda), with the versions pinned in
# docker/versions.env. Run `mvn -B package -DskipTests` at the repository root first: the images
# hold services/<name>/target/quarkus-app.
#
#   docker/build-all.sh                   # every service that exists, tag 0.1.0-SNAPSHOT
#   ALFER_IMAGE_PREFIX=registry.example.com/alfer/ ALFER_IMAGE_TAG=0.1.0 docker/build-all.sh ingest
#
# Images: ${ALFER_IMAGE_PREFIX}alfer-<name>:<tag> (jvm) and ...:<tag>-cuda (cuda).
# A listed service whose module does not exist yet is skipped with a note; one named on the
# command line must exist.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
prefix="${ALFER_IMAGE_PREFIX:-alfer/}"
tag="${ALFER_IMAGE_TAG:-0.1.0-SNAPSHOT}"
docker_cmd="${DOCKER:-docker}"

build_args=()
while IFS= read -r line; do
  [[ -z "${line}" || "${line}" == \#* ]] && continue
  build_args+=(--build-arg "${line}")
done < "${here}/versions.env"

# The HTTP port a service listens on, from quarkus.http.port=${ALFER_X_PORT:NNNN} or =NNNN.
http_port() {
  local props="$1/src/main/resources/application.properties" port=""
  if [[ -f "${props}" ]]; then
    port="$(sed -n -E 's/^quarkus\.http\.port=(\$\{[A-Z0-9_]+:)?([0-9]+)\}?$/\2/p' "${props}" | head -n 1)"
  fi
  echo "${port:-8080}"
}

wanted=("$@")
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
  if [[ ! -f "${module}/target/quarkus-app/quarkus-run.jar" ]]; then
    echo "error: ${module}/target/quarkus-app is missing; run 'mvn -B package -DskipTests' first" >&2
    exit 1
  fi
  port="$(http_port "${module}")"
  for variant in ${variants}; do
    case "${variant}" in
      jvm) image="${prefix}alfer-${name}:${tag}" ;;
      cuda) image="${prefix}alfer-${name}:${tag}-cuda" ;;
      *) echo "error: unknown variant '${variant}' for ${name} in services.txt" >&2; exit 1 ;;
    esac
    echo "building ${image} (port ${port})"
    "${docker_cmd}" build -f "${here}/Dockerfile.${variant}" "${build_args[@]}" \
      --build-arg "HTTP_PORT=${port}" -t "${image}" "${module}"
    built=$((built + 1))
  done
done < "${here}/services.txt"
echo "built ${built} image(s)"
