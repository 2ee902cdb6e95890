using LLama.Native;

namespace SleepTime.Providers.Local;

/// <summary>
/// llama.cpp writes every tensor it loads to stderr unless told otherwise; this keeps only its errors, once per
/// process (the native log callback is process-wide).
/// </summary>
internal static class NativeLog
{
    private static int installed;

    // Kept in a field: the native library holds a pointer to it.
    private static readonly NativeLogConfig.LLamaLogCallback Callback = static (level, message) =>
    {
        if (level == LLamaLogLevel.Error)
        {
            Console.Error.Write("llama.cpp: " + message);
        }
    };

    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            NativeLogConfig.llama_log_set(Callback);
        }
    }
}
