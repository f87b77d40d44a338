package dev.lifeline.supervisor.status;

/**
 * What the bastion's running time costs, as far as this supervisor has seen it run: minutes from the last 24 hours and
 * from this calendar month (UTC) since the supervisor started, priced at the configured rates. An estimate, not a bill.
 */
public record CostEstimate(double pricePerHour, double monthlyFixed, long runningMinutes24h, double cost24h,
                           long runningMinutesThisMonth, double costThisMonth) {

    static CostEstimate of(double pricePerHour, double monthlyFixed, long seconds24h, long secondsThisMonth) {
        return new CostEstimate(pricePerHour, monthlyFixed, seconds24h / 60, round(seconds24h / 3600.0 * pricePerHour),
                secondsThisMonth / 60, round(monthlyFixed + secondsThisMonth / 3600.0 * pricePerHour));
    }

    /** To a tenth of a cent: enough for a page, and it keeps 0.1 + 0.2 noise out of the JSON. */
    private static double round(double usd) {
        return Math.round(usd * 1000) / 1000.0;
    }
}
