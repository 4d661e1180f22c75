import { describe, expect, it } from 'vitest';
import { COMMAND_FINISHED_MARK, CommandMarkScanner } from './command-marks';

describe('CommandMarkScanner', () => {
  it('counts each mark once, also when a chunk splits it', () => {
    const scanner = new CommandMarkScanner();
    const mark = `${COMMAND_FINISHED_MARK};0\u0007`;
    expect(scanner.scan(Buffer.from(`output\r\n${mark}$ `))).toBe(1);
    expect(scanner.scan(Buffer.from(`ls\r\n${mark.slice(0, 3)}`))).toBe(0);
    expect(scanner.scan(Buffer.from(`${mark.slice(3)}$ ${mark}`))).toBe(2);
    expect(scanner.scan(Buffer.from('no mark here'))).toBe(0);
  });
});
