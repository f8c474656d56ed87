using System.Globalization;

namespace Mep.Console.Admin;

/// <summary>How the administration pages write times for people: German, on the Berlin clock.</summary>
public static class AdminText
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static string Moment(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Berlin).ToString("dd.MM.yyyy HH:mm", German);

    public static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count.ToString("N0", German)} {many}";
}
