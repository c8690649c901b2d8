/**
 * TranslateText (real-time) on the emulator. Real TranslateText ignores parallel data; the emulator has
 * nothing else to translate with, so it uses exact sentence matches from any ACTIVE parallel data of the
 * same pair (documented).
 */
import type { EmulatorContext } from './context';
import { emulatePlainTranslation } from './emulated-translation';
import { type OperationHandler, TranslateApiError, validation } from './protocol';

const MAX_TEXT_BYTES = 10_000;

export function translateTextHandler(ctx: EmulatorContext): OperationHandler {
  return async (body) => {
    const text = body.Text;
    const source = body.SourceLanguageCode;
    const target = body.TargetLanguageCode;
    if (typeof text !== 'string' || typeof source !== 'string' || typeof target !== 'string') {
      throw validation('Text, SourceLanguageCode and TargetLanguageCode are required');
    }
    if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
      throw new TranslateApiError('TextSizeLimitExceededException', 'Text exceeds 10,000 bytes');
    }
    // Real TranslateText ignores parallel data; the emulator has nothing else to translate with, so it
    // uses exact sentence matches from any ACTIVE parallel data of the same pair (documented).
    const memory = new Map<string, string>();
    for (const pd of Object.values(ctx.store.state.parallelData)) {
      if (pd.sourceLanguageCode !== source || !pd.entries) continue;
      for (const [s, targets] of pd.entries)
        if (targets[target] !== undefined) memory.set(s, targets[target]);
    }
    const { text: translated } = emulatePlainTranslation(text, memory);
    return { TranslatedText: translated, SourceLanguageCode: source, TargetLanguageCode: target };
  };
}
