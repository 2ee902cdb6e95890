namespace SleepTime.Server; internal static class Placeholder {}
