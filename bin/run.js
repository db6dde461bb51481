#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
