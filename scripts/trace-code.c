// Single-steps a command and writes to OUT, in the order they first ran, the distinct
// instruction addresses inside [LOW, HIGH), one per line as 16 hex digits. All threads are
// stepped; with -f also the processes it forks, for as long as they run an image named
// runcs (the init stage's exec keeps it, the container process's exec ends it). Used by
// scripts/code-order.sh; exits with the command's status.
//   usage: trace-code [-f] OUT LOW HIGH -- command [args...]
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

// Whether the image a traced process now runs is runcs: its path, or the memfd it was copied to.
static int runs_runcs(pid_t pid)
{
    char link[64], exe[4096];
    snprintf(link, sizeof link, "/proc/%d/exe", pid);
    ssize_t n = readlink(link, exe, sizeof exe - 1);
    if (n < 0) return 0;
    exe[n] = 0;
    const char *base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    return strncmp(base, "runcs", 5) == 0 || strncmp(base, "memfd:runcs", 11) == 0;
}

int main(int argc, char **argv)
{
    int follow = argc > 1 && strcmp(argv[1], "-f") == 0;
    argv += follow;
    argc -= follow;
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: trace-code [-f] OUT LOW HIGH -- command [args...]\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    uint64_t low = strtoull(argv[2], NULL, 0), high = strtoull(argv[3], NULL, 0);
    uint8_t *seen = calloc(high - low, 1);
    if (!out || !seen) return 2;
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execvp(argv[5], argv + 5);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    long options = PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC | (follow ? PTRACE_O_TRACEFORK : 0);
    ptrace(PTRACE_SETOPTIONS, child, 0, options);
    ptrace(PTRACE_CONT, child, 0, 0);
    // Stepping starts at the first exec: before it the child runs this program's code.
    // Done when the command exits: by then what it started has ended or (create's init,
    // without -f) was never traced. A count of live tracees would be off after an exec from a
    // thread, whose old thread id vanishes unreported.
    int stepping = 0, exit_code = -1;
    while (exit_code < 0) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == child) exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16, deliver = 0;
        if (event == PTRACE_EVENT_EXEC) {
            if (stepping && !runs_runcs(pid)) {
                ptrace(PTRACE_DETACH, pid, 0, 0);
                continue;
            }
            stepping = 1;
        } else if (sig == SIGTRAP) {
            if (stepping) {
                struct user_regs_struct regs;
                ptrace(PTRACE_GETREGS, pid, 0, &regs);
                if (regs.rip >= low && regs.rip < high && !seen[regs.rip - low]) {
                    seen[regs.rip - low] = 1;
                    fprintf(out, "%016llx\n", (unsigned long long)regs.rip);
                }
            }
        } else if (sig != SIGSTOP) {
            deliver = sig;
        }
        ptrace(stepping ? PTRACE_SINGLESTEP : PTRACE_CONT, pid, 0, deliver);
    }
    fclose(out);
    return exit_code;
}
