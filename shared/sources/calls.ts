import type { SourceAdapter } from './adapter.js';
import { callRailAdapter } from './callrail.js';
import { genericCallAdapter } from './generic-call.js';
import { mangoOfficeAdapter } from './mango-office.js';
import { twilioVoiceAdapter } from './twilio-voice.js';
import { zadarmaAdapter } from './zadarma.js';

/** The adapters bundled into the calls intake function: telephony and call-tracking providers. */
export const callAdapters: SourceAdapter[] = [
  twilioVoiceAdapter,
  callRailAdapter,
  mangoOfficeAdapter,
  zadarmaAdapter,
  genericCallAdapter,
];
