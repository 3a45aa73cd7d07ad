// Resident ID numbers (GB 11643-1999) and phone numbers for the worker tests.
//
//   idNumber({ region: '430922', birth: '19850312', seq: 101 })   a valid 18-character number
//   breakIdCheck(n)          the same number with a wrong check character
//   nextId(), nextPhone()    fresh values, unique within this process (and very likely across runs)
//   dayOffset(n)             YYYY-MM-DD (UTC) n days from today, as the server counts days

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The GB 11643 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17) {
  if (!/^\d{17}$/.test(first17)) throw new Error(`bad ID prefix ${first17}`);
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return CHECK[sum % 11];
}

/** A valid ID number; seq is the 3-digit sequence (odd: male, even: female). */
export function idNumber({ region = '430922', birth = '19850312', seq = 101 } = {}) {
  const first17 = region + birth + String(seq).padStart(3, '0');
  return first17 + idCheckChar(first17);
}

/** The number with a wrong check character. */
export function breakIdCheck(n) {
  const good = n[17];
  const bad = CHECK[(CHECK.indexOf(good) + 1) % 11];
  return n.slice(0, 17) + bad;
}

// Sequences start at a per-process offset so that two test files running at
// the same time (each with its own database) cannot confuse a reader of logs.
let seq = 100 + (process.pid % 400);
/** A fresh valid ID number (birth dates vary so the sequence space never runs out). */
export function nextId({ region = '430922', female = true } = {}) {
  seq += 1;
  const year = 1960 + (seq % 40);
  const month = String(1 + (seq % 12)).padStart(2, '0');
  const day = String(1 + (seq % 28)).padStart(2, '0');
  let s = seq % 1000;
  if ((s % 2 === 0) !== female) s = (s + 1) % 1000;
  return idNumber({ region, birth: `${year}${month}${day}`, seq: s });
}

const phoneBase = 1000 + Math.floor(Math.random() * 8000);
let phoneSerial = 0;
/** A fresh 11-digit mainland mobile number. */
export function nextPhone() {
  phoneSerial += 1;
  return `139${String(phoneBase).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
}

/** The date n days from today (UTC), YYYY-MM-DD. */
export function dayOffset(n) {
  const d = new Date(Date.now() + n * 86400000);
  return d.toISOString().slice(0, 10);
}
