// include/uapi/asm-generic/errno-base.h and errno.h (v6.18): the values and
// the glibc strerror() text that tools print for them.

export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSPC = 28;
export const ERANGE = 34;
export const ENODATA = 61;
export const EPROTO = 71;
export const EBADMSG = 74;
export const EMSGSIZE = 90;
export const EPROTONOSUPPORT = 93;
export const EOPNOTSUPP = 95;
export const ENETUNREACH = 101;
export const ENOBUFS = 105;
export const ECONNREFUSED = 111;
export const EREMOTEIO = 121;

/** A negative errno, as kernel functions return it. */
export type NegErrno = number & { readonly __negErrno?: true };

const names: Record<number, [string, string]> = {
  [EPERM]: ['EPERM', 'Operation not permitted'],
  [ENOENT]: ['ENOENT', 'No such file or directory'],
  [EINTR]: ['EINTR', 'Interrupted system call'],
  [EIO]: ['EIO', 'Input/output error'],
  [ENXIO]: ['ENXIO', 'No such device or address'],
  [E2BIG]: ['E2BIG', 'Argument list too long'],
  [EAGAIN]: ['EAGAIN', 'Resource temporarily unavailable'],
  [ENOMEM]: ['ENOMEM', 'Cannot allocate memory'],
  [EFAULT]: ['EFAULT', 'Bad address'],
  [EBUSY]: ['EBUSY', 'Device or resource busy'],
  [EEXIST]: ['EEXIST', 'File exists'],
  [ENODEV]: ['ENODEV', 'No such device'],
  [EINVAL]: ['EINVAL', 'Invalid argument'],
  [ENOSPC]: ['ENOSPC', 'No space left on device'],
  [ERANGE]: ['ERANGE', 'Numerical result out of range'],
  [ENODATA]: ['ENODATA', 'No data available'],
  [EPROTO]: ['EPROTO', 'Protocol error'],
  [EBADMSG]: ['EBADMSG', 'Bad message'],
  [EMSGSIZE]: ['EMSGSIZE', 'Message too long'],
  [EPROTONOSUPPORT]: ['EPROTONOSUPPORT', 'Protocol not supported'],
  [EOPNOTSUPP]: ['EOPNOTSUPP', 'Operation not supported'],
  [ENETUNREACH]: ['ENETUNREACH', 'Network is unreachable'],
  [ENOBUFS]: ['ENOBUFS', 'No buffer space available'],
  [ECONNREFUSED]: ['ECONNREFUSED', 'Connection refused'],
  [EREMOTEIO]: ['EREMOTEIO', 'Remote I/O error'],
};

/** `-EOPNOTSUPP` for -95, `EOPNOTSUPP` for 95, `0` for 0. */
export function errnoName(e: number): string {
  if (e === 0) return '0';
  const n = names[Math.abs(e)];
  const base = n ? n[0] : `errno ${Math.abs(e)}`;
  return e < 0 ? `-${base}` : base;
}

/** glibc strerror() text for a positive or negative errno. */
export function strerror(e: number): string {
  if (e === 0) return 'Success';
  const n = names[Math.abs(e)];
  return n ? n[1] : `Unknown error ${Math.abs(e)}`;
}

/** Parses `EOPNOTSUPP`, `-EOPNOTSUPP` or `95` into a positive errno. */
export function errnoFromName(s: string): number | undefined {
  const t = s.trim().replace(/^-/, '');
  if (/^\d+$/.test(t)) return Number(t);
  for (const [k, v] of Object.entries(names)) if (v[0] === t) return Number(k);
  return undefined;
}

// Appended: errnos the OVS datapath and socket layer return.
export const ENOTCONN = 107;
export const EFBIG = 27;
names[ENOTCONN] = ['ENOTCONN', 'Transport endpoint is not connected'];
names[EFBIG] = ['EFBIG', 'File too large'];
export const ENOPROTOOPT = 92;
names[ENOPROTOOPT] = ['ENOPROTOOPT', 'Protocol not available'];
export const EAFNOSUPPORT = 97;
names[EAFNOSUPPORT] = ['EAFNOSUPPORT', 'Address family not supported by protocol'];
