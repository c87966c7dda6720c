/** The SQL dialects the store runs on; migrations branch on it only where SQL truly differs. */
export type StoreDialect = 'sqlite' | 'postgres'
