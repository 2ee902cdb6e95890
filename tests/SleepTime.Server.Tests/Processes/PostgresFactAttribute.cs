namespace SleepTime.Server.Tests.Processes;

/// <summary>A fact that needs PostgreSQL: skipped, saying why, when SLEEPTIME_TEST_POSTGRES is not set.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "SLEEPTIME_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: no PostgreSQL to test against (.ci/postgres start prints one; test.sh sets it).";
        }
    }
}
