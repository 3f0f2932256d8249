// Money helpers shared by the mapping Code nodes (build.mjs puts this file in front of each).
// Providers send decimal strings; rows carry integer minor units, converted digit by digit,
// never through floating point.
const ZERO_DECIMALS = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
function exponent(currency) {
  if (ZERO_DECIMALS.includes(currency)) return 0;
  if (THREE_DECIMALS.includes(currency)) return 3;
  return 2;
}
function toMinor(text, exp) {
  const s = String(text ?? '0').trim();
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new Error(`not a decimal amount: ${s}`);
  const frac = (m[2] || '').padEnd(exp + 1, '0');
  let minor = BigInt(m[1] + frac.slice(0, exp));
  if (frac[exp] >= '5') minor += 1n; // round half up on the first dropped digit
  return Number(minor);
}
