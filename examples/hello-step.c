/*
 * hello-step - a tiny example "build step" to run on a Phase network.
 *
 * It greets you, echoes its arguments, reports the BUILD_NUMBER environment variable,
 * counts the lines, words and bytes it reads from stdin, lists the first ten primes and
 * exits 0. Everything it prints depends only on its inputs, so every honest worker
 * produces the same output for the same job.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define PRIME_COUNT 10

static void count_stdin(void) {
    unsigned long lines = 0, words = 0, bytes = 0;
    int in_word = 0;
    int c;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n') {
            lines++;
        }
        if (isspace(c)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    if (bytes == 0) {
        puts("stdin: empty");
    } else {
        printf("stdin: %lu lines, %lu words, %lu bytes\n", lines, words, bytes);
    }
}

static void print_primes(void) {
    printf("first %d primes:", PRIME_COUNT);
    int found = 0;
    for (unsigned candidate = 2; found < PRIME_COUNT; candidate++) {
        int prime = 1;
        for (unsigned divisor = 2; divisor * divisor <= candidate; divisor++) {
            if (candidate % divisor == 0) {
                prime = 0;
                break;
            }
        }
        if (prime) {
            printf(" %u", candidate);
            found++;
        }
    }
    printf("\n");
}

int main(int argc, char **argv) {
    puts("hello-step: hello from a WebAssembly build step");
    printf("arguments: %d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        printf("  [%d] %s\n", i, argv[i]);
    }
    const char *build_number = getenv("BUILD_NUMBER");
    if (build_number != NULL) {
        printf("BUILD_NUMBER=%s\n", build_number);
    } else {
        puts("BUILD_NUMBER is not set");
    }
    count_stdin();
    print_primes();
    puts("hello-step: done");
    return 0;
}
