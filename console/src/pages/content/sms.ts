/**
 * How many SMS parts a text takes: GSM-7 when every character is in its
 * alphabet (160 a message, 153 a part; the extension characters take two),
 * else UCS-2 (70 UTF-16 units a message, 67 a part).
 */
const GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  length: number;
  parts: number;
}

export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const ch of text) {
    if (GSM.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else return ucs2(text);
  }
  return { encoding: 'GSM-7', length: septets, parts: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

function ucs2(text: string): SmsSize {
  const units = text.length;
  return { encoding: 'UCS-2', length: units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}
