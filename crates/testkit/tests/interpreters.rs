//! The interpreters themselves, on hostile text: what the other crates' tests rely on.

use smsmig_testkit::{Chromium, Wine};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("smsmig-testkit-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cscript_runs_vbscript_and_reports_script_errors() {
    let Some(wine) = Wine::get("cscript_runs_vbscript_and_reports_script_errors") else {
        return;
    };
    let dir = scratch("vbs");
    let ok = dir.join("ok.vbs");
    std::fs::write(
        &ok,
        "WScript.Echo \"R&D \"\"Lab\"\" 100% <pilot>\" & \" \" & WScript.Arguments(0)\r\n\
         WScript.Quit 3\r\n",
    )
    .unwrap();
    let run = wine.cscript(&ok, &["/whatif"]);
    run.assert_exit(3);
    assert_eq!(run.stdout_text(), "R&D \"Lab\" 100% <pilot> /whatif\n");

    // Wine 8.0 lacks ChrW: the run exits 0 but must count as failed.
    let bad = dir.join("bad.vbs");
    std::fs::write(&bad, "WScript.Echo ChrW(65)\r\nWScript.Echo \"END\"\r\n").unwrap();
    let run = wine.cscript(&bad, &[]);
    assert!(!run.script_errors.is_empty(), "{run:#?}");
    assert!(!run.stdout_text().contains("END"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn cmd_runs_batch_files_with_a_stand_in_on_the_path() {
    let Some(wine) = Wine::get("cmd_runs_batch_files_with_a_stand_in_on_the_path") else {
        return;
    };
    let dir = scratch("cmd");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("standin.cmd"), "@echo off\r\necho STANDIN %*\r\n").unwrap();
    let script = dir.join("x.cmd");
    std::fs::write(
        &script,
        "@echo off\r\necho.R^&D ^<pilot^>\r\ncall standin.cmd SMSSITECODE=C02 \"FSP=fsp 01\"\r\nexit /b 4\r\n",
    )
    .unwrap();
    let bin_path = smsmig_testkit::windows_path(&bin);
    let run = wine.cmd(&script, &[], &[("WINEPATH", bin_path.as_str())]);
    run.assert_exit(4);
    assert_eq!(
        run.stdout_text(),
        "R&D <pilot>\nSTANDIN SMSSITECODE=C02 \"FSP=fsp 01\"\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn chromium_dumps_the_dom_of_a_local_page() {
    let Some(chromium) = Chromium::get("chromium_dumps_the_dom_of_a_local_page") else {
        return;
    };
    let dir = scratch("html");
    let page = dir.join("p.html");
    std::fs::write(
        &page,
        "<!doctype html><title>t</title><p id=x>R&amp;D</p>\
         <script>document.getElementById('x').dataset.seen='1'</script>",
    )
    .unwrap();
    let dom = chromium.dump_dom(&page);
    assert!(
        dom.contains(r#"<p id="x" data-seen="1">R&amp;D</p>"#),
        "{dom}"
    );
    let png = dir.join("p.png");
    assert!(chromium.screenshot(&page, &png, 400, 300));
    std::fs::remove_dir_all(dir).unwrap();
}
