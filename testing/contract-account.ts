/** The admin the contract suite signs in as to use the UI; made by testing/contract-db.ts setup. */
export const CONTRACT_ADMIN = {
  email: "admin@contract.test",
  password: "contract suite password, not a real one",
};
