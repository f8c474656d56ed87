namespace Mep.ServiceDefaults.Validation;

public static class Texts
{
    /// <summary>
    /// Cuts <paramref name="text"/> to <paramref name="maxLength"/> characters, marking the cut: for texts an answer echoes from
    /// elsewhere (an exception's message, a client's input) whose documented length must hold whatever they were.
    /// </summary>
    public static string? Cut(string? text, int maxLength) =>
        text is null || text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 3), "...");
}
