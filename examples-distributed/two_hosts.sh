#!/usr/bin/env bash
# Runs a lesson of the chapter as a job spread over two hosts, where the second host is a
# network namespace of this machine with its own address, its own network stack and its own host
# name. What changes beyond one machine then happens for real: mpirun reads a hostfile, starts
# the far rank through a remote shell, and the ranks' messages cross a network (TCP over a
# virtual Ethernet link) instead of shared memory. The two "hosts" share one file system, as
# machines with a shared home directory do, so the binary is at the same path on both.
#
# mpirun reaches a host with ssh; this machine runs no ssh server, so the remote shell here is
# nsenter into the namespace. On real machines, drop --mca plm_rsh_agent and use their names.
#
#   sudo examples-distributed/two_hosts.sh ranks
#   sudo examples-distributed/two_hosts.sh mpi_factorizer --count 2000
#
# Needs root (namespaces), Open MPI, and the lessons built (cargo build -p examples-distributed).
# Nothing outlives it: the namespace belongs to a process that exits within a second of this
# script, and the link, the addresses and the namespace go with it. One run at a time: the two
# addresses are fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The lessons that make sense over two hosts. Not mpi_latency: the namespace does not separate
# Unix sockets (they live in the shared file system), so its ipc-channel half would still run as
# if on one machine. Not rank_lost: it starts and watches a job of its own.
LESSONS=(ranks mpi_factorizer mpi_queue mpi_counter)
usage="usage: two_hosts.sh LESSON [FLAGS...], LESSON one of: ${LESSONS[*]}"
if (( $# == 0 )); then
  echo "error: $usage" >&2
  exit 2
fi
lesson=$1
shift
if [[ " ${LESSONS[*]} " != *" $lesson "* ]]; then
  echo "error: '$lesson' is not a lesson this runs over two hosts ($usage)" >&2
  exit 2
fi
binary=${CARGO_TARGET_DIR:-$PWD/target}/debug/$lesson
if [[ ! -x $binary ]]; then
  echo "error: $binary is not built: cargo build -p examples-distributed" >&2
  exit 2
fi
if (( EUID != 0 )); then
  echo "error: namespaces need root: run it with sudo" >&2
  exit 2
fi
here=10.77.0.1
there=10.77.0.2
work=$(mktemp -d)
link=mpi$$
job=
cleanup() {
  ip link del "$link" 2>/dev/null || true
  rm -rf "$work"
}
# A signal ends the job first (mpirun then ends its ranks on both hosts), then the script.
stop() {
  if [[ -n $job ]]; then
    kill -TERM "$job" 2>/dev/null || true
    wait "$job" 2>/dev/null || true
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'stop 130' INT
trap 'stop 143' TERM

# The second host: a process in a new network and host-name namespace that lives only as long
# as this script does.
script=$$
unshare --net --uts sh -c "hostname node2; while kill -0 $script 2>/dev/null; do sleep 1; done" &
holder=$!
# Until unshare has made the namespace, the holder's is still this machine's.
for _ in $(seq 100); do
  [[ $(readlink "/proc/$holder/ns/net") != "$(readlink /proc/self/ns/net)" ]] && break
  sleep 0.05
done
if [[ $(readlink "/proc/$holder/ns/net") == "$(readlink /proc/self/ns/net)" ]]; then
  echo "error: could not make the second host's network namespace" >&2
  exit 1
fi
ip link add "$link" type veth peer name "${link}b"
ip link set "${link}b" netns "$holder"
ip addr add "$here/24" dev "$link"
ip link set "$link" up
nsenter --target "$holder" --net sh -c \
  "ip addr add $there/24 dev ${link}b && ip link set ${link}b up && ip link set lo up"

printf '%s slots=1\n%s slots=1\n' "$here" "$there" >"$work/hosts"
# mpirun calls its remote shell as it would call ssh: HOST COMMAND...
cat >"$work/remote-shell" <<EOF
#!/bin/sh
shift
exec nsenter --target $holder --net --uts sh -c "\$*"
EOF
chmod +x "$work/remote-shell"

# --bind-to none: each "host" would pin its one rank to its first core, and here both hosts'
# first core is the same core of the same machine.
flags=(-n 2 --hostfile hosts --bind-to none --mca plm_rsh_agent "$work/remote-shell"
  --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24)
echo "# hosts: $here (this machine), $there (node2, the namespace)"
shown=(mpirun --allow-run-as-root "${flags[@]/#$work\//}" "target/debug/$lesson" "$@")
echo "\$ ${shown[*]}"
cd "$work"
mpirun --allow-run-as-root "${flags[@]}" "$binary" "$@" &
job=$!
wait "$job"
