/**
 * The AudioWorklet that captures the microphone: it runs in the audio thread at the context's own
 * rate (44.1 or 48 kHz; Firefox cannot connect a microphone to a context of another rate), resamples
 * to 16 kHz by linear interpolation and posts 20 ms chunks of 16-bit PCM. Kept as source text so the
 * embed stays one file (a Blob URL loads it).
 */
export const captureWorklet = `
class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / 16000;
    this.pos = 0;
    this.prev = 0;
    this.out = new Int16Array(320);
    this.n = 0;
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      while (this.pos <= 1) {
        const s = this.prev + (cur - this.prev) * this.pos;
        this.out[this.n++] = Math.max(-1, Math.min(1, s)) * 32767;
        if (this.n === 320) {
          this.port.postMessage(this.out.buffer.slice(0));
          this.n = 0;
        }
        this.pos += this.step;
      }
      this.pos -= 1;
      this.prev = cur;
    }
    return true;
  }
}
registerProcessor("bvrai-capture", Capture);
`;
