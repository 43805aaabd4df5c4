using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Export;

/// <summary>
/// "Copy as config": the <c>"schedule": {...}</c> member of a <c>trainkit train</c> JSON config. It is the
/// schedule spec's own JSON form (ScheduleSpec.ToJson), so it reads back with ScheduleSpec.FromJson.
/// </summary>
public static class ConfigExport
{
    public static string From(ScheduleSpec spec) => "\"schedule\": " + spec.ToJson();
}
