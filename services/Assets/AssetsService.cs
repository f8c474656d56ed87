using Mep.ServiceDefaults.Hosting;

namespace Mep.Assets;

public static class AssetsService
{
    /// <summary>The path the Assets service owns behind the edge.</summary>
    public const string PathPrefix = "/api/assets";

    public static readonly ServiceDescription Description = new(
        Title: "MEP Platform: Assets",
        PathPrefix: PathPrefix,
        Description: "The device inventory: tablets by ownership, interactive board systems and their components, computer-room "
            + "devices and network gear; lifecycle and MDM enrolment; registration by schools (single, JSON and CSV batches); "
            + "counts per school by staffing category; inventory export; lending devices to pupils and teachers under loan agreements "
            + "(hand-outs and returns in bulk, overdue, lost and stolen, extensions, transfers between schools, reports).");
}
