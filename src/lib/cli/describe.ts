// SPDX-License-Identifier: GPL-2.0-only
import { EXIT_CODE_HELP } from '../errors.js';

/** A command description with the exit-code table appended, so that every --help lists it. */
export const withExitCodes = (text: string) => `${text}\n\n${EXIT_CODE_HELP}`;
