package io.grokstream.dataset.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact integer arithmetic the generators need, free of overflow: every product of two residues below
 * 2^31 fits a {@code long}.
 */
public final class NumberTheory {
    private NumberTheory() {
    }

    /**
     * Deterministic Miller-Rabin for every {@code int}: the witnesses 2, 3, 5, 7 are enough below 3,215,031,751
     * (Pomerance, Selfridge and Wagstaff 1980; Jaeschke 1993), which covers {@code Integer.MAX_VALUE}.
     */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long small : new long[]{2, 3, 5, 7}) {
            if (n % small == 0) {
                return n == small;
            }
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("isPrime is exact only up to 2^31 - 1, got " + n);
        }
        long d = n - 1;
        int s = 0;
        while ((d & 1) == 0) {
            d >>= 1;
            s++;
        }
        for (long a : new long[]{2, 3, 5, 7}) {
            long x = modPow(a, d, n);
            if (x == 1 || x == n - 1) {
                continue;
            }
            boolean composite = true;
            for (int r = 1; r < s; r++) {
                x = x * x % n;
                if (x == n - 1) {
                    composite = false;
                    break;
                }
            }
            if (composite) {
                return false;
            }
        }
        return true;
    }

    /** {@code base^exponent mod m} by square-and-multiply, for {@code m < 2^31}. */
    public static long modPow(long base, long exponent, long m) {
        if (m < 1 || m > Integer.MAX_VALUE || exponent < 0) {
            throw new IllegalArgumentException("modPow needs 1 <= m < 2^31 and exponent >= 0, got m=" + m
                    + " exponent=" + exponent);
        }
        long result = 1 % m;
        long b = Math.floorMod(base, m);
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = result * b % m;
            }
            b = b * b % m;
            e >>= 1;
        }
        return result;
    }

    /** The inverse of {@code y} modulo a prime {@code p}, by Fermat's little theorem: {@code y^(p-2)}. */
    public static int modInverse(int y, int p) {
        if (Math.floorMod(y, p) == 0) {
            throw new IllegalArgumentException("0 has no inverse mod " + p);
        }
        return (int) modPow(y, p - 2L, p);
    }

    public static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Every prime strictly below {@code n}, ascending. */
    public static List<Integer> primesBelow(int n) {
        List<Integer> primes = new ArrayList<>();
        for (int q = 2; q < n; q++) {
            if (isPrime(q)) {
                primes.add(q);
            }
        }
        return primes;
    }

    /** The number of base-{@code base} digits of {@code n >= 0} (1 for 0). */
    public static int digitCount(long n, int base) {
        int digits = 1;
        while (n >= base) {
            n /= base;
            digits++;
        }
        return digits;
    }

    /** Writes {@code n} into {@code out[offset..offset+width)} as zero-padded base-{@code base} digits, most significant first. */
    public static void writeDigits(long n, int base, int width, int[] out, int offset) {
        for (int i = width - 1; i >= 0; i--) {
            out[offset + i] = (int) (n % base);
            n /= base;
        }
        if (n != 0) {
            throw new IllegalArgumentException("number does not fit " + width + " digits in base " + base);
        }
    }
}
