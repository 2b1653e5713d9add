/* SPDX-License-Identifier: Apache-2.0 */
/* test_metrics: placeholder replaced below. */
int main(void) { return 0; }
