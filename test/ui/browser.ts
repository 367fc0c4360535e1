/**
 * Debian's Chromium for UI tests, driven by playwright-core. A missing browser is
 * a failure with instructions, never a silent skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.VGLAB_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The UI tests need Chromium at ${CHROMIUM} and it is not there. Install it (Debian: sudo apt-get install chromium) ` +
        'or point VGLAB_CHROMIUM at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}
