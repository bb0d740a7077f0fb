# shellcheck shell=bash
# Build output shared by every data dir: each program is published once per state of its sources, into
# $ORDERSMAIL_BUILD_CACHE/<key>/<name>, and every up.sh whose sources give the same key runs that output
# instead of publishing again (a publish of all five programs takes minutes on a small machine).
# Sourced by up.sh after lib.sh.

: "${ORDERSMAIL_BUILD_CACHE:=$REPO_ROOT/.data-build}"
case "$ORDERSMAIL_BUILD_CACHE" in /*) ;; *) ORDERSMAIL_BUILD_CACHE="$PWD/$ORDERSMAIL_BUILD_CACHE" ;; esac

# How every program is published, part of the key: a change of options, or of the functions below that lay the
# output out, builds again.
# ReadyToRun: the assemblies (MassTransit, Npgsql... and ours) are compiled ahead for this machine's runtime, so a
# service starts without JIT-compiling its start-up path: orders-api was ready in 1.9 s instead of 2.9 s.
PUBLISH_OPTIONS=(-c Release --nologo -v quiet --use-current-runtime --self-contained false -p:PublishReadyToRun=true)

# What a publish reads (the same list deploy/Dockerfile copies); tests/ and docs/ do not change the output.
BUILD_INPUTS=(contracts integrations services tools global.json Directory.Build.props Directory.Packages.props .editorconfig)

# build_key: prints a key for the build inputs as they are on disk (tracked, modified and new files alike;
# what .gitignore ignores is left out), the SDK that publishes them and how. Hashes with git without writing
# anything into the repository. Fails outside a git checkout.
build_key() {
  local listing path files=() hashes
  listing="$(git -C "$REPO_ROOT" -c core.quotePath=false ls-files --cached --others --exclude-standard \
    -- "${BUILD_INPUTS[@]}" 2>/dev/null)" || return 1
  while IFS= read -r path; do
    [[ -f "$REPO_ROOT/$path" ]] && files+=("$path")   # a tracked file deleted on disk is not an input
  done < <(sort -u <<<"$listing")
  ((${#files[@]})) || return 1
  hashes="$(cd "$REPO_ROOT" && printf '%s\n' "${files[@]}" | git hash-object --stdin-paths)" || return 1
  { paste <(printf '%s\n' "${files[@]}") <(printf '%s\n' "$hashes"); dotnet --version; echo "${PUBLISH_OPTIONS[*]}"
    declare -f publish share_identical_files prune_build_cache; } | sha256sum | cut -c1-16
}

# build_dir: prints where this run's programs are published: the shared cache entry for the sources'
# key, or (outside a git checkout, where there is no key) the data dir's own build directory, which publish
# never reuses.
build_dir() {
  local key
  if key="$(build_key)"; then
    echo "$ORDERSMAIL_BUILD_CACHE/$key"
  else
    warn "no git checkout to hash the sources with: building into the data dir, not the shared cache, and every time"
    echo "$DATA_DIR/build"
  fi
}

# publish NAME DIR PROJECT BUILD_DIR: makes sure BUILD_DIR/NAME holds the program's published output.
# Output only appears under its final name once complete, so an interrupted publish is never reused; the
# lock makes two up.sh runs on the same sources publish once, and keeps them out of each other's obj/. The wait
# for it is bounded by ORDERSMAIL_BUILD_LOCK_TIMEOUT (15 min: longer than the slowest publish of a busy machine, so
# a build in progress is waited for), as the infra lock's is: an up.sh stopped (^Z) or hung while it held the lock
# kept every later up.sh waiting without a word.
# Nothing else may hold the lock fd (8): not the compiler servers a publish leaves running, nor the
# programs started later, so it is closed for the publish and again before returning.
publish() {
  local name="$1" dir="$2" project="$3" out="$4/$1" staging="$4/.$1.partial" log="$LOG_DIR/$1.build.log"
  mkdir -p "$ORDERSMAIL_BUILD_CACHE" "$4"
  exec 8>>"$ORDERSMAIL_BUILD_CACHE/.lock"
  if ! flock -n 8; then
    info "$name: waiting for another up.sh that is building (at most ${ORDERSMAIL_BUILD_LOCK_TIMEOUT}s)"
    flock -w "$ORDERSMAIL_BUILD_LOCK_TIMEOUT" 8 || fail "$name: could not get the build cache's lock $ORDERSMAIL_BUILD_CACHE/.lock within ${ORDERSMAIL_BUILD_LOCK_TIMEOUT}s" \
      "Another up.sh seems stuck building; find it with 'fuser -v $ORDERSMAIL_BUILD_CACHE/.lock' or 'ps aux | grep up.sh'," \
      "or wait longer with ORDERSMAIL_BUILD_LOCK_TIMEOUT=<seconds>."
  fi
  # Only a cache entry is named after the state of its sources. The data dir's build (no key: no git checkout) is
  # published again each time: reused, it ran the sources of its first publish whatever had changed since.
  if [[ -d "$out" && "$4" != "$DATA_DIR/build" ]]; then
    info "$name: reusing the build of these sources ($out)"
    touch "$4"
  else
    if [[ -d "$out" ]]; then
      info "$name: building (Release) into $out again: with no key for the sources, the build there may be of other ones"
    else
      info "$name: building (Release) into $out"
    fi
    rm -rf "$staging"
    dotnet publish "$REPO_ROOT/$dir/$project.csproj" -o "$staging" "${PUBLISH_OPTIONS[@]}" >"$log" 2>&1 8>&- \
      || { show_log "$log" 40; fail "$name: build failed (full log: $log)"; }
    share_identical_files "$staging" "$4"
    rm -rf "$out"
    mv -T "$staging" "$out"
    prune_build_cache "$4"
  fi
  exec 8>&-
}

# prune_build_cache BUILD_DIR: deletes all but the ORDERSMAIL_BUILD_CACHE_KEEP (10) builds used last (publish sets
# an entry's time each time it is used), never BUILD_DIR. Each state of the sources is a build of its own, and a
# day of work makes dozens: this cache had grown to 32 builds, 3.2 GB, in four days. Called under the cache's lock.
prune_build_cache() {
  local keep="${ORDERSMAIL_BUILD_CACHE_KEEP:-10}" entry
  [[ "$keep" =~ ^[1-9][0-9]*$ ]] || fail "ORDERSMAIL_BUILD_CACHE_KEEP is '$keep': it must be a number of builds, 1 or more."
  [[ "$1" == "$ORDERSMAIL_BUILD_CACHE"/* ]] || return 0
  while IFS= read -r entry; do
    [[ "${entry%/}" == "${1%/}" ]] || rm -rf "$entry"
  done < <(ls -1dt "$ORDERSMAIL_BUILD_CACHE"/*/ | tail -n +$((keep + 1)))
}

# share_identical_files STAGING BUILD_DIR: makes each file of STAGING that another program in BUILD_DIR already
# has, byte for byte, a hard link to that program's copy. The services publish the same libraries (MassTransit,
# Npgsql, OpenTelemetry, the building blocks...), each ReadyToRun-compiled to identical bytes, and the kernel shares
# a mapped file's pages between processes only when it is the same file: with a copy each, every service kept its
# own 20-odd MB of library code resident. Programs are never written to after publish, so a link is as good as a copy.
share_identical_files() {
  local staging="$1" build_dir="$2" file name other
  for file in "$staging"/*; do
    [[ -f "$file" && ! -L "$file" ]] || continue
    name="${file##*/}"
    for other in "$build_dir"/*/"$name"; do
      if [[ -f "$other" ]] && cmp -s "$file" "$other"; then
        ln -f "$other" "$file"
        break
      fi
    done
  done
}
