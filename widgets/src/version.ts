// The model identity of widgets/PROTOCOL.md: the kernel names this module and version in its comm_open.
export const MODULE_NAME = "zhist-widgets";
export const MODULE_VERSION = "0.1.0";
