// Valid (and deliberately invalid) unified social credit codes for the tests:
// GB 32100-2015 (check character MOD 31) with the GB 11714 organisation-code
// check character at position 17.
//
//   uscc('430922')                  a fresh valid code registered in 桃江县
//   uscc('430922', { org: 'MA4L0001' })
//   breakCheck(code)                the same code with a wrong last character
//   breakOrgCheck(code)             wrong character 17, last one recomputed

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11714 check character of 8 organisation-code characters (digits, A–Z). */
export function orgCheckChar(org8) {
  if (!/^[0-9A-Z]{8}$/.test(org8)) throw new Error(`bad organisation code ${org8}`);
  const sum = [...org8].reduce((s, ch, i) => s + parseInt(ch, 36) * ORG_WEIGHTS[i], 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** The GB 32100 check character of the first 17 characters. */
export function usccCheckChar(first17) {
  let sum = 0;
  [...first17].forEach((ch, i) => {
    const v = USCC_ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`${ch} is not in the credit-code alphabet`);
    sum += v * USCC_WEIGHTS[i];
  });
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

let serial = 0;
const runTag = (process.pid % 1000).toString().padStart(3, '0');

/** A fresh 8-character organisation code (unique within this process). */
export function nextOrg() {
  serial += 1;
  return `MA${runTag}${serial.toString().padStart(3, '0')}`;
}

/** A valid credit code: authority '9', type '1', the region code and 8 organisation characters. */
export function uscc(region, { authority = '9', type = '1', org = nextOrg() } = {}) {
  const first17 = authority + type + region + org + orgCheckChar(org);
  return first17 + usccCheckChar(first17);
}

/** The code with its last (GB 32100) check character replaced by a wrong one. */
export function breakCheck(code) {
  const good = code[17];
  const bad = USCC_ALPHABET[(USCC_ALPHABET.indexOf(good) + 1) % 31];
  return code.slice(0, 17) + bad;
}

/** The code with a wrong organisation-code check character (position 17); the last is recomputed. */
export function breakOrgCheck(code) {
  const good = code[16];
  const bad = good === '1' ? '2' : '1';
  const first17 = code.slice(0, 16) + bad;
  return first17 + usccCheckChar(first17);
}
