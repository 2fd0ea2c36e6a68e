#!/usr/bin/env bash
# A sharded batch on a real Slurm job array. Brings up a throw-away single-node cluster (munged,
# slurmctld, slurmd; all state in WORK_DIR; configuration as in docs/scaling.md), submits
# `sdc batch --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT` as a 4-task array, checks each
# task's state and exit code itself (sbatch --wait does not report a failed array task), checks
# that the shards are disjoint and cover every record, and that the merged shard manifests are the
# manifest of one unsharded run. The daemons are stopped by PID whatever happens.
# Usage: batch_slurm.sh SDC SOURCE_DIR WORK_DIR
set -u
sdc=${1:?sdc} src=${2:?source} work=${3:?work}
count=${SDC_SLURM_RECORDS:-24}
tasks=4
# Not a silent skip: without the daemons this test fails, and says how to install them.
for c in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$c" > /dev/null || {
    echo "FAIL: $c is missing: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge"
    echo "(scripts/deps installs them from scripts/packages.txt)"
    exit 1
  }
done
if [ "$(id -u)" -ne 0 ]; then
  # slurmd must run as root to start jobs (SlurmdUser=root); a non-root CI runner cannot host it.
  echo "SKIP: the single-node Slurm cluster needs root (slurmd); the Slurm test did not run"
  exit 77
fi
if [ -z "$(ls -A /sys/fs/cgroup 2>/dev/null)" ]; then
  # slurmd 22.05 always initialises its cgroup plugin, even with proctrack/pgid and task/none
  # (../shared/notes/slurm-single-node.md); a chroot with only /proc and /dev has no /sys.
  echo "SKIP: slurmd needs the cgroup filesystem (/sys/fs/cgroup), which is missing here (in a chroot:"
  echo "mount --rbind /sys DIR/sys); the Slurm test did not run"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
st=$work/slurm
mkdir -p "$st/state" "$st/spool" "$st/munge" && chmod 0755 "$st" "$st/munge"
pids=()
stop_daemons() {
  local p alive
  for f in "$st"/slurmd.pid "$st"/slurmctld.pid "$st"/munged.pid; do
    [ -s "$f" ] && kill -TERM "$(cat "$f")" 2> /dev/null
  done
  for _ in $(seq 100); do
    alive=0
    for f in "$st"/slurmd.pid "$st"/slurmctld.pid "$st"/munged.pid; do
      [ -s "$f" ] && kill -0 "$(cat "$f")" 2> /dev/null && alive=1
    done
    [ $alive -eq 0 ] && return
    sleep 0.1
  done
  for f in "$st"/slurmd.pid "$st"/slurmctld.pid "$st"/munged.pid; do
    [ -s "$f" ] && p=$(cat "$f") && kill -KILL "$p" 2> /dev/null
  done
}
trap stop_daemons EXIT
fail_setup() {
  echo "FAIL: $1"
  for l in "$st"/*.log; do echo "--- $l"; tail -n 20 "$l"; done
  exit 1
}

# munge: its own key and socket.
dd if=/dev/urandom of="$st/munge.key" bs=1024 count=1 status=none && chmod 0400 "$st/munge.key"
munged --key-file "$st/munge.key" --socket "$st/munge/munge.socket" --pid-file "$st/munged.pid" \
  --log-file "$st/munged.log" --seed-file "$st/munge.seed" --force || fail_setup "munged did not start"

# Ports from the PID, so that two runs on one host do not meet.
ctld_port=$((20000 + ($$ % 5000) * 2))
slurmd_port=$((ctld_port + 1))
cpus=$(nproc)
export SLURM_CONF=$st/slurm.conf
cat > "$SLURM_CONF" << CONF
ClusterName=sdctest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$st/munge/munge.socket
StateSaveLocation=$st/state
SlurmdSpoolDir=$st/spool
SlurmctldPidFile=$st/slurmctld.pid
SlurmdPidFile=$st/slurmd.pid
SlurmctldLogFile=$st/slurmctld.log
SlurmdLogFile=$st/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=sdc Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" -c || fail_setup "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost || fail_setup "slurmd did not start"
# A deadline in seconds, not a count of tries: a Slurm command that cannot resolve a name retries
# for about 11 s before it gives up (a chroot without /etc/hosts), and each try is bounded too.
ready=0
deadline=$((SECONDS + 30))
while [ $SECONDS -lt $deadline ]; do
  if timeout 5 sinfo -h -N -o "%t" 2> /dev/null | grep -q idle; then ready=1 && break; fi
  sleep 0.1
done
[ $ready -eq 1 ] || fail_setup "the node did not become idle in 30 s ($(timeout 5 sinfo -h -N -o '%t %E' 2>&1 | tail -3))"
echo "slurm: node idle"

fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
# The photo beside the records: a record's photo must be in the records file's folder.
cp "$src/assets/records/photos/astronaut.png" "$work/astronaut.png"
bash "$src/tests/batch/gen_records.sh" "$count" "$work/astronaut.png" > "$work/records.csv"
common="-t $src/assets/templates/specimen.json -r $work/records.csv --dpi 72 --threads 1 --progress none"
job=$(sbatch --parsable -a 0-$((tasks - 1)) -c 1 -D "$work" -o "$work/task-%a.out" -J sdc-batch \
  --wrap "$sdc batch $common -o $work/shard-\$SLURM_ARRAY_TASK_ID --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT") ||
  fail_setup "sbatch refused the array"
job=${job%%;*}
echo "slurm: submitted array job $job"
# The unsharded reference run, while the array runs.
"$sdc" batch $common -o "$work/single" 2> "$work/single.err" || { cat "$work/single.err"; fail_setup "the unsharded run failed"; }
deadline=$((SECONDS + 600))
while [ $SECONDS -lt $deadline ]; do
  [ -z "$(timeout 10 squeue -h -j "$job" 2> /dev/null)" ] && break
  sleep 0.1
done
check "the array finished within 600 s" '[ -z "$(timeout 10 squeue -h -j "$job" 2> /dev/null)" ]'
scontrol -o show job "$job" > "$work/jobs.txt"
check "$tasks array tasks known to slurmctld" '[ "$(grep -c "ArrayTaskId=" "$work/jobs.txt")" -eq $tasks ]'
for t in $(seq 0 $((tasks - 1))); do
  line=$(grep "ArrayTaskId=$t " "$work/jobs.txt")
  state=$(echo "$line" | grep -o "JobState=[A-Z_]*")
  code=$(echo "$line" | grep -o " ExitCode=[0-9:]*" | tr -d " ")
  echo "task $t: $state $code"
  [ "$state $code" = "JobState=COMPLETED ExitCode=0:0" ] || cat "$work/task-$t.out"
  check "task $t completed with exit code 0" '[ "$state $code" = "JobState=COMPLETED ExitCode=0:0" ]'
done

# Disjoint and covering: every record number once over all shards.
cat "$work"/shard-*/manifest.jsonl "$work"/shard-*/errors.jsonl 2> /dev/null |
  grep -o '^{"record":[0-9]*' | cut -d: -f2 | sort -n > "$work/records.txt"
check "shards cover all $count records" '[ "$(sort -u -n "$work/records.txt" | wc -l)" -eq "$count" ]'
check "shards are disjoint" '[ "$(wc -l < "$work/records.txt")" -eq "$count" ]'
check "every shard made cards" '[ "$(for t in $(seq 0 $((tasks - 1))); do [ -s "$work/shard-$t/manifest.jsonl" ] && echo x; done | wc -l)" -eq $tasks ]'
# Merging: the shard manifests, sorted by record, are the unsharded manifest.
cat "$work"/shard-*/manifest.jsonl | sort -t: -k2,2n > "$work/merged.jsonl"
check "merged shard manifests = the unsharded manifest" 'cmp -s "$work/merged.jsonl" "$work/single/manifest.jsonl"'
same=0
for f in "$work"/shard-*/*/front.png; do
  [ -e "$f" ] || continue
  rel=${f#"$work"/shard-*/}
  cmp -s "$f" "$work/single/$rel" && same=$((same + 1))
done
check "every shard card's front.png is the unsharded one's" '[ $same -eq "$count" ]'

[ $fails -eq 0 ] && echo "batch_slurm: all passed" || echo "batch_slurm: $fails failed"
exit $((fails > 0))
