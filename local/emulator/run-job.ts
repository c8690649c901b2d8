/**
 * Runs a batch job the way Translate does, within the emulator's means: lists the input folder, reads
 * every document (20 MB and UTF-8 checks), translates all of them for each target language (exact
 * parallel-data matches, then the machine translator in ONE call for the job: emulated-translation.ts),
 * writes `<lang>.<name>` and the auxiliary details file, and sets the job's status and counts.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type EmulatorContext, listObjects, outputPrefix, readS3 } from './context';
import {
  emptyStats,
  emulateHtmlTranslationsWith,
  emulatePlainTranslation,
  type TranslationStats,
} from './emulated-translation';
import { parseS3Uri } from './protocol';
import type { JobRecord } from './state';

const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_TRANSLATABLE_BYTES = 1024 * 1024;

/** A document that fails alone (the job goes on): its error code and message go to the details file. */
class DocumentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Does the job's work (called once, when it is due). */
export async function runJob(ctx: EmulatorContext, job: JobRecord): Promise<void> {
  if (ctx.faults.current.jobFails) {
    job.status = 'FAILED';
    job.message =
      typeof ctx.faults.current.jobFails === 'string' ? ctx.faults.current.jobFails : 'injected job failure';
    return;
  }
  const memory = new Map(job.memory);
  const input = parseS3Uri(job.input.S3Uri);
  // The input URI names a folder: list below it (not siblings that merely share the prefix).
  const inputPrefix = input.key && !input.key.endsWith('/') ? `${input.key}/` : input.key;
  const objects = await listObjects(ctx.s3, input.bucket, inputPrefix);
  const keys = objects.map((o) => o.key);
  const bytes = objects.reduce((n, o) => n + o.size, 0);
  const refused =
    keys.length === 0
      ? `The input location ${job.input.S3Uri} contains no documents`
      : keys.length > ctx.limits.documents
        ? `The input location ${job.input.S3Uri} contains ${keys.length} documents; a batch job accepts at most ${ctx.limits.documents}`
        : bytes > ctx.limits.bytes
          ? `The documents in ${job.input.S3Uri} total ${bytes} bytes; a batch job accepts at most ${ctx.limits.bytes}`
          : null;
  if (refused) {
    job.status = 'FAILED';
    job.message = refused;
    job.details = {
      TranslatedDocumentsCount: 0,
      DocumentsWithErrorsCount: 0,
      InputDocumentsCount: keys.length,
    };
    return;
  }
  const out = parseS3Uri(outputPrefix(ctx, job));
  let translated = 0;
  let errors = 0;
  for (const target of job.targetLanguageCodes) {
    const targetMemory = new Map<string, string>();
    for (const [source, targets] of memory) {
      const t = targets[target];
      if (t !== undefined) targetMemory.set(source, t);
    }
    const totals: TranslationStats = emptyStats();
    const translator = ctx.translatorFor(job.sourceLanguageCode, target);
    let customerErrors = 0;
    const fail = (entry: Record<string, unknown>, error: unknown) => {
      if (!(error instanceof DocumentError)) throw error;
      delete entry.targetFile;
      entry.errorCode = error.code;
      entry.errorMessage = error.message;
      customerErrors++;
      errors++;
    };
    // First every document is read, then all of them are translated with ONE translator call (an
    // Apertium process costs ~3 s to start whatever its input), then each is written.
    const documents: { entry: Record<string, unknown>; targetRelative: string; text?: string }[] = [];
    for (const key of keys) {
      const relative = key.slice(inputPrefix.length);
      const slash = relative.lastIndexOf('/');
      const targetRelative = `${relative.slice(0, slash + 1)}${target}.${relative.slice(slash + 1)}`;
      const entry: Record<string, unknown> = { sourceFile: relative, targetFile: targetRelative };
      const doc: (typeof documents)[number] = { entry, targetRelative };
      documents.push(doc);
      try {
        if (ctx.faults.current.documentsFail?.some((s) => key.includes(s))) {
          throw new DocumentError('InternalServerException', 'injected document failure');
        }
        const bytes = await readS3(ctx.s3, `s3://${input.bucket}/${key}`);
        if (bytes.length > MAX_DOCUMENT_BYTES)
          throw new DocumentError('DocumentTooLarge', 'the document exceeds 20 MB');
        try {
          doc.text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new DocumentError('InvalidEncoding', 'the document is not valid UTF-8');
        }
      } catch (error) {
        fail(entry, error);
      }
    }
    const readable = documents.filter((d) => d.text !== undefined);
    const texts = readable.map((d) => d.text as string);
    const results =
      job.input.ContentType === 'text/html'
        ? (await emulateHtmlTranslationsWith(texts, targetMemory, translator)).map((r) => ({
            body: r.html,
            stats: r.stats,
          }))
        : texts.map((text) => {
            const r = emulatePlainTranslation(text, targetMemory);
            return { body: r.text, stats: r.stats };
          });
    for (const [i, { entry, targetRelative, text }] of readable.entries()) {
      const result = results[i] as { body: string; stats: TranslationStats };
      try {
        if (
          Buffer.byteLength(text as string) > MAX_TRANSLATABLE_BYTES &&
          result.stats.characters > MAX_TRANSLATABLE_BYTES
        ) {
          throw new DocumentError('DocumentTooLarge', 'the translatable text exceeds 1 MB');
        }
        await ctx.s3.send(
          new PutObjectCommand({
            Bucket: out.bucket,
            Key: `${out.key}${targetRelative}`,
            Body: result.body,
            ContentType: job.input.ContentType,
          }),
        );
        for (const k of Object.keys(totals) as (keyof TranslationStats)[]) totals[k] += result.stats[k];
        entry.auxiliaryData = {
          charactersTranslated: String(result.stats.characters),
          emulator: {
            sentences: result.stats.sentences,
            sentencesFromParallelData: result.stats.sentencesFromParallelData,
            sentencesUntranslated: result.stats.sentencesUntranslated,
            sentencesMachineTranslated: result.stats.sentencesMachineTranslated,
            charactersMachineTranslated: result.stats.charactersMachineTranslated,
          },
        };
        translated++;
      } catch (error) {
        fail(entry, error);
      }
    }
    const details = documents.map((d) => d.entry);
    const aux = {
      sourceLanguageCode: job.sourceLanguageCode,
      targetLanguageCode: target,
      charactersTranslated: String(totals.characters),
      documentCountWithCustomerError: String(customerErrors),
      documentCountWithServerError: '0',
      inputDataPrefix: job.input.S3Uri,
      outputDataPrefix: outputPrefix(ctx, job),
      emulator: {
        note: translator
          ? `Offline emulator: exact sentence matches from the parallel data take its human target; everything else is machine translated by ${translator.name} (translate="no" content kept as it is).`
          : 'Offline emulator: only exact sentence matches from the parallel data are translated; everything else is returned unchanged inside <span class="amts-untranslated">.',
        machineTranslator: translator?.name ?? null,
        sentences: totals.sentences,
        sentencesFromParallelData: totals.sentencesFromParallelData,
        sentencesUntranslated: totals.sentencesUntranslated,
        sentencesMachineTranslated: totals.sentencesMachineTranslated,
        charactersMachineTranslated: totals.charactersMachineTranslated,
      },
      details,
    };
    await ctx.s3.send(
      new PutObjectCommand({
        Bucket: out.bucket,
        Key: `${out.key}details/${target}.auxiliary-translation-details.json`,
        Body: JSON.stringify(aux, null, 2),
        ContentType: 'application/json',
      }),
    );
  }
  const perTarget = job.targetLanguageCodes.length;
  job.details = {
    TranslatedDocumentsCount: translated / perTarget,
    DocumentsWithErrorsCount: errors / perTarget,
    InputDocumentsCount: keys.length,
  };
  if (errors === 0) job.status = 'COMPLETED';
  else if (translated === 0) {
    job.status = 'FAILED';
    job.message = 'All documents failed to translate; see the details file in the output location';
  } else {
    job.status = 'COMPLETED_WITH_ERROR';
    job.message = `${errors / perTarget} document(s) failed; see the details file in the output location`;
  }
}
