using System.Text;

namespace Mep.ServiceDefaults.Csv;

/// <summary>Why a CSV body cannot be read at all (as opposed to a row with a bad value): answered as 400 naming the line.</summary>
public sealed class CsvFormatException(string message, int? line = null) : Exception(message)
{
    public int? Line { get; } = line;
}

/// <summary>One record of a CSV file and the line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 reading and writing: fields separated by one delimiter, records by CRLF or LF, a field with the
/// delimiter, quotes or line breaks quoted as a whole with inner quotes doubled. Anything else about quotes is
/// refused with the line it is on, never guessed at: a guess would shift values into the wrong columns.
/// </summary>
public static class CsvText
{
    public static IEnumerable<CsvRecord> Read(string text, char delimiter)
    {
        var position = 0;
        var line = 1;
        while (position < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var endOfRecord = false;
            while (!endOfRecord)
            {
                if (position < text.Length && text[position] == '"')
                {
                    position++;
                    while (true)
                    {
                        if (position >= text.Length)
                        {
                            throw new CsvFormatException($"A quoted field opened on line {start} is never closed: a quote is missing.", start);
                        }

                        var c = text[position++];
                        if (c == '"')
                        {
                            if (position < text.Length && text[position] == '"')
                            {
                                field.Append('"');
                                position++;
                                continue;
                            }

                            break;
                        }

                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    if (position < text.Length && text[position] != delimiter && text[position] != '\r' && text[position] != '\n')
                    {
                        throw new CsvFormatException(
                            $"Broken quoting on line {line}: a closing quote must end the field (quotes inside a quoted field are doubled: \"\").", line);
                    }
                }
                else
                {
                    while (position < text.Length && text[position] != delimiter && text[position] != '\r' && text[position] != '\n')
                    {
                        if (text[position] == '"')
                        {
                            throw new CsvFormatException(
                                $"Broken quoting on line {line}: a field with quotes must be quoted as a whole, with inner quotes doubled (\"\").", line);
                        }

                        field.Append(text[position++]);
                    }
                }

                fields.Add(field.ToString());
                field.Clear();
                if (position >= text.Length)
                {
                    endOfRecord = true;
                }
                else if (text[position] == delimiter)
                {
                    position++;
                }
                else
                {
                    position += text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                    line++;
                    endOfRecord = true;
                }
            }

            yield return new CsvRecord(start, fields);
        }
    }

    /// <summary>
    /// One field as written to a file: quoted when it must be; a text a spreadsheet would run as a formula
    /// (starting with = + - @) gets a leading apostrophe, which reading strips again.
    /// </summary>
    public static string Field(string? value, char delimiter)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([delimiter, '"', '\r', '\n']) >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    /// <summary>Undoes the formula guard of <see cref="Field"/>.</summary>
    public static string Unguard(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value;
}
