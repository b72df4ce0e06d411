using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace CustomerExperience.Web.Infrastructure;

/// <summary>
/// The database is away: stopped, restarting, unreachable, or out of connections. A request that fails for that reason
/// is answered 503 with Retry-After (the friendly error page, or problem+json on the API), not 500: nothing is wrong
/// with the request, and trying again shortly will work. Whatever it was writing was rolled back with its transaction.
/// </summary>
public static class DatabaseOutage
{
    public const int RetryAfterSeconds = 10;

    /// <summary>What Npgsql 10 says when a statement is given a transaction whose connection broke.</summary>
    private const string TransactionLostToBrokenConnection = "Transaction is already completed";

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps, as EF's DbUpdateException and RetryLimitExceededException
    /// do) says the database could not be reached. A serialization failure or a deadlock is not an outage: those are
    /// concurrency, handled where they happen.
    /// </summary>
    public static bool Caused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // 08: connection exceptions; 57P01-03: shutting down, crashed, not accepting connections yet;
                    // 53300: too many connections.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                    // Refused or broken connections, timeouts opening one, an exhausted pool.
                    return true;
                case InvalidOperationException { Source: "Npgsql", Message: TransactionLostToBrokenConnection }:
                    // A statement after the connection under our transaction broke: Npgsql ended the transaction with
                    // the connection. (The app never uses a transaction after committing it: each is scoped to its
                    // method, committed last.)
                    return true;
            }
        }
        return false;
    }

    /// <summary>500 for a bug, 503 for an outage: what the exception handlers answer.</summary>
    public static int StatusCodeFor(Exception exception) =>
        Caused(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;

    /// <summary>The API's problem+json for an outage: a clear message and Retry-After.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable
            || !Caused(context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error))
            return;
        context.ProblemDetails.Title = "Temporarily unavailable";
        context.ProblemDetails.Detail = $"The booking system is briefly unavailable and nothing was saved. Please try again in {RetryAfterSeconds} seconds.";
        context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
    }
}
