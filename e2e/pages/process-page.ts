import { expect, type Locator, type Page } from "@playwright/test";

/** A callback block: the fieldset its heading's title names (ids callback-<index>-title). */
const CALLBACK_BLOCK = 'fieldset[aria-labelledby^="callback-"][aria-labelledby$="-title"]';

/** The process details page, located the way a person reads it: by roles and labels. */
export class ProcessPage {
  constructor(readonly page: Page) {}

  static async openFromList(page: Page, name: string): Promise<ProcessPage> {
    await page.goto("/processes");
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    return new ProcessPage(page);
  }

  static async createNew(page: Page, name: string): Promise<ProcessPage> {
    await page.goto("/processes");
    await page.getByLabel("New process name").fill(name);
    await page.getByRole("button", { name: "New Process" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    return new ProcessPage(page);
  }

  get advancedSettings(): Locator {
    return this.page.getByRole("button", { name: /^Advanced Settings/ });
  }

  get status(): Locator {
    return this.page.getByTestId("advanced-settings-status");
  }

  get addCallbackButton(): Locator {
    return this.page.getByRole("button", { name: "+ Add Callback" });
  }

  get saveButton(): Locator {
    return this.page.getByRole("button", { name: "Save", exact: true });
  }

  async expand(): Promise<void> {
    if ((await this.advancedSettings.getAttribute("aria-expanded")) !== "true")
      await this.advancedSettings.click();
    await expect(this.advancedSettings).toHaveAttribute("aria-expanded", "true");
  }

  /** Every callback block, in order. */
  get callbacks(): Locator {
    return this.page.locator(CALLBACK_BLOCK);
  }

  /**
   * The Nth callback block, counted from 1 (its heading says "Callback N", or its name when it has one).
   * Its fields are hidden while it is collapsed to its one-line summary (a process with more than 3
   * stored callbacks starts that way): use `openCallback(n)` to expand it first.
   */
  callback(n: number): CallbackBlock {
    return new CallbackBlock(this.callbacks.nth(n - 1));
  }

  /** The callback block whose heading (and so whose group name) is this name. */
  callbackNamed(name: string): CallbackBlock {
    return new CallbackBlock(this.page.getByRole("group", { name, exact: true }));
  }

  /** Callback N's block, expanded first if it is collapsed. */
  async openCallback(n: number): Promise<CallbackBlock> {
    const block = this.callback(n);
    await block.expand();
    return block;
  }

  /** "+ Add Callback": the new block, which starts expanded. */
  async addCallback(): Promise<CallbackBlock> {
    const count = await this.callbacks.count();
    await this.addCallbackButton.click();
    return this.openCallback(count + 1);
  }

  /** The form's own message after Save (Next's route announcer is an alert too). */
  get formAlert(): Locator {
    return this.page.locator("form").getByRole("alert");
  }

  async save(): Promise<void> {
    await this.saveButton.click();
    await expect(
      this.page
        .locator("form")
        .getByRole("status")
        .filter({ hasText: /^Saved at/ }),
    ).toBeVisible();
  }
}

export class CallbackBlock {
  constructor(readonly root: Locator) {}

  /** The heading's "<title>: <summary>" button that collapses the block to one line and expands it again. */
  get toggle(): Locator {
    return this.root.getByRole("heading", { level: 3 }).getByRole("button");
  }

  /** The heading's title: the callback's name, or "Callback N". */
  get title(): Locator {
    return this.root.getByRole("heading", { level: 3 }).locator("span[title]");
  }

  get name(): Locator {
    return this.root.getByLabel("Name", { exact: true });
  }

  get enabled(): Locator {
    return this.root.getByRole("switch", { name: "Enabled" });
  }

  async expand(): Promise<void> {
    if ((await this.toggle.getAttribute("aria-expanded")) !== "true") await this.toggle.click();
    await expect(this.toggle).toHaveAttribute("aria-expanded", "true");
  }

  async collapse(): Promise<void> {
    if ((await this.toggle.getAttribute("aria-expanded")) === "true") await this.toggle.click();
    await expect(this.toggle).toHaveAttribute("aria-expanded", "false");
  }

  get url(): Locator {
    return this.root.getByLabel("Lead Update URL");
  }

  get token(): Locator {
    return this.root.getByLabel("Token", { exact: true });
  }

  get authKey(): Locator {
    return this.root.getByLabel("Auth Key");
  }

  get authValue(): Locator {
    return this.root.getByLabel("Auth Value");
  }

  auth(kind: "None" | "Bearer Token" | "Custom Auth Header"): Locator {
    return this.root.getByRole("radio", { name: kind, exact: true });
  }

  async remove(): Promise<void> {
    await this.root.getByRole("button", { name: "Remove" }).click();
    await this.root.page().getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  }
}
