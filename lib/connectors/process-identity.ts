import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

/**
 * Which process holds a connector run, precisely enough to tell that it is gone: host, pid, the
 * pid's start time (a pid is reused; its start time with it is not) and the host's boot id (a
 * restarted host has a new one). Only a holder on this host can be checked; one elsewhere is
 * trusted until its lease expires.
 */
export interface ProcessIdentity {
  host: string
  pid: number
  start: string
  boot: string
}

export function procStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime, clock ticks since boot); the command name (field 2) may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return ''
  }
}

let self: ProcessIdentity | null = null

export function currentProcess(): ProcessIdentity {
  self ??= {
    host: hostname(),
    pid: process.pid,
    start: procStartTime(process.pid) ?? `t${Math.round(Date.now() / 1000 - process.uptime())}`,
    boot: bootId(),
  }
  return self
}

export interface Holder {
  host: string | null
  pid: number | null
  start: string | null
  boot: string | null
}

/** True only when the holder certainly no longer runs: same host, and rebooted, or no such process, or the pid now belongs to another process. */
export function holderGone(holder: Holder): boolean {
  const me = currentProcess()
  if (!holder.host || holder.pid === null || holder.host !== me.host) return false
  if (holder.boot && me.boot && holder.boot !== me.boot) return true
  if (holder.pid === me.pid) return holder.start !== me.start
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true
  }
  const start = procStartTime(holder.pid)
  return start !== null && holder.start !== null && !holder.start.startsWith('t') && start !== holder.start
}

export function describeHolder(holder: Holder): string {
  return `pid ${holder.pid ?? '?'} on ${holder.host ?? 'an unknown host'}`
}
