// Single-steps a command (all its threads, not the processes it starts) and writes to OUT,
// in the order they first ran, the distinct instruction addresses inside [LOW, HIGH), one
// per line as 16 hex digits. Used by scripts/code-order.sh; exits with the command's status.
//   usage: trace-code OUT LOW HIGH -- command [args...]
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 6 || argv[4][0] != '-' || argv[4][1] != '-') {
        fprintf(stderr, "usage: trace-code OUT LOW HIGH -- command [args...]\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    uint64_t low = strtoull(argv[2], NULL, 0), high = strtoull(argv[3], NULL, 0);
    if (!out) return 2;
    uint8_t *seen = calloc(high - low, 1);
    if (!seen) return 2;
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execvp(argv[5], argv + 5);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC);
    ptrace(PTRACE_CONT, child, 0, 0);
    // Stepping starts at the exec: before it the child runs this program's code.
    int exec_seen = 0, live = 1, exit_code = 0;
    while (live > 0) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == child) exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            live--;
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16, deliver = 0;
        if (event == PTRACE_EVENT_CLONE) {
            live++;
        } else if (event == PTRACE_EVENT_EXEC) {
            exec_seen = 1;
        } else if (sig == SIGTRAP) {
            if (exec_seen) {
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
        ptrace(exec_seen ? PTRACE_SINGLESTEP : PTRACE_CONT, pid, 0, deliver);
    }
    fclose(out);
    return exit_code;
}
