/**
 * A CSV file's bytes as the text a project embeds. The engine's parser reads UTF-8;
 * a browser's File.text() would turn bytes that are not UTF-8 into "�" without a
 * word, so the file is decoded strictly here and refused with the line to fix.
 * Used by the Data view (an upload) and the lab (a file the desktop dialog chose).
 */

/** The file's text; an Error naming the file (and the line) when it is not UTF-8. */
export function decodeCsvBytes(fileName: string, bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error(`${fileName} is UTF-16 text; save it as UTF-8 ("CSV UTF-8" in a spreadsheet) and import it again`);
  }
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strict.decode(bytes);
  } catch {
    // Find the first line that does not decode (lines end in LF; a CR before it is part of the line).
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        strict.decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      line++;
      start = i + 1;
    }
    throw new Error(`${fileName}: line ${line} is not UTF-8 text; save the file as UTF-8 ("CSV UTF-8" in a spreadsheet) and import it again`);
  }
}
