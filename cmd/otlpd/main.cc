// otlpd: a standalone OpenTelemetry collector daemon. See cli.h for the command line.
#include "cmd/otlpd/cli.h"

int main(int argc, char** argv) { return otlpd::RunCli(argc, argv); }
