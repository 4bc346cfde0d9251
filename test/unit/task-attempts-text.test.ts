import { describe, expect, it } from 'vitest';
import { attemptsText } from '../../renderer/src/views/tasks/task-list-model.js';

describe('a task’s attempts in the task tables', () => {
  it('shows a finished task’s attempts as the attempts it was given, not as a share of its maximum', () => {
    expect(attemptsText({ state: 'failed', attempts: 3, max_attempts: 3 })).toBe('3 attempts');
    expect(attemptsText({ state: 'failed', attempts: 1, max_attempts: 3 })).toBe('1 attempt');
    expect(attemptsText({ state: 'completed', attempts: 2, max_attempts: 5 })).toBe('2 attempts');
  });

  it('shows how many a running task may still get', () => {
    expect(attemptsText({ state: 'working', attempts: 1, max_attempts: 3 })).toBe('1 of 3');
    expect(attemptsText({ state: 'submitted', attempts: 0, max_attempts: 3 })).toBe('0 of 3');
  });
});
