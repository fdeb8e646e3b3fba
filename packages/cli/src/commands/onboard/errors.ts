import { PujiangError } from '@pujiang/types';

/** The node an onboarding talks to does not answer, or answers for another chain. */
export type OnboardErrorCode = 'ONBOARD_NODE_UNREACHABLE';

/** What the enterprise's steps, directory and record refuse (the issuer's codes are in issuer-record.ts). */
export type OnboardStepErrorCode =
  | 'ONBOARD_EXISTS'
  | 'ONBOARD_BUSY'
  | 'ONBOARD_BAD_NAME'
  | 'ONBOARD_BAD_SUMMARY'
  | 'ONBOARD_NOT_REQUESTED'
  | 'ONBOARD_WRONG_KEY'
  | 'ONBOARD_NOT_COMMITTED'
  | 'ONBOARD_LICENCE_INVALID';

export const stepError = (
  code: OnboardStepErrorCode,
  message: string,
  details: Record<string, unknown> = {},
) => new PujiangError<OnboardStepErrorCode>(code, message, details);
