/* SPDX-License-Identifier: MIT */
/* The few <string.h> functions pure code may use; lib/libc/string.c implements them for UEFI. */
#ifndef CXLVAL_UEFI_STRING_H
#define CXLVAL_UEFI_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *dst, const char *src);
char *strcat(char *dst, const char *src);

#endif
