#!/usr/bin/env node
// The `gpwh` command of the npm package: runs the gpwh binary that the
// package for this platform (@gpwh/linux-x64, @gpwh/darwin-arm64, ...)
// installed, with the same arguments, standard input, output and error.
// Its exit code is this process's; a signal sent here is passed on to it,
// and if it dies of a signal, so does this process. GPWH_BINARY=PATH runs
// that binary instead.
"use strict";

const { spawn } = require("node:child_process");

function platform() {
  const name = `${process.platform}-${process.arch}`;
  return process.platform === "linux" && isMusl() ? `${name}-musl` : name;
}

function isMusl() {
  try {
    return !process.report.getReport().header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

function binary() {
  if (process.env.GPWH_BINARY) return process.env.GPWH_BINARY;
  const name = platform();
  const file = process.platform === "win32" ? "gpwh.exe" : "gpwh";
  try {
    return require.resolve(`@gpwh/${name}/bin/${file}`);
  } catch {
    process.stderr.write(
      `gpwh: no gpwh binary is installed for ${name} (the npm package @gpwh/${name}): ` +
        "reinstall without --omit=optional, or install gpwh with `pipx install gpwh` or " +
        "`cargo install gpwh`, or from a release archive\n",
    );
    process.exit(1);
  }
}

const program = binary();
const child = spawn(program, process.argv.slice(2), { stdio: "inherit" });
const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
const passOn = (signal) => child.kill(signal);
for (const signal of signals) process.on(signal, passOn);

child.on("error", (error) => {
  process.stderr.write(`gpwh: cannot run ${program}: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    for (const s of signals) process.removeListener(s, passOn);
    process.kill(process.pid, signal);
  } else {
    process.exit(code);
  }
});
